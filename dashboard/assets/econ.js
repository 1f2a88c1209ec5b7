/* The dashboard's clientside callbacks (served from /assets, never from a CDN).
 *
 * syncUrl: when a URL-bound control changes (country, indicator, vintage, compared members, gold
 * path), rewrite the address
 * bar (history.replaceState: no page reload, no server round trip) and the query string of every
 * navigation and language link, so a copied link or the next page keeps the same view.
 * narrowViewport: tell the server the window is narrow, once, so it sends the compact chart.
 */
var NARROW = 700; /* px: below this, charts use their compact layout */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    econ: {
        syncUrl: function (values, lang) {
            var ctx = window.dash_clientside.callback_context;
            var params = new URLSearchParams(window.location.search);
            (ctx.inputs_list[0] || []).forEach(function (input, i) {
                var value = values[i];
                if (Array.isArray(value)) {
                    value = value.join(",");
                }
                if (value === null || value === undefined || value === "") {
                    params.delete(input.id.key);
                } else {
                    params.set(input.id.key, value);
                }
            });
            if (lang) {
                params.set("lang", lang);
                document.documentElement.lang = lang;
            }
            var query = params.toString();
            var here = window.location.pathname + (query ? "?" + query : "");
            if (here !== window.location.pathname + window.location.search) {
                window.history.replaceState(window.history.state, "", here);
            }
            var navs = (ctx.outputs_list[0] || []).map(function (output) {
                return output.id.page + (query ? "?" + query : "");
            });
            var langs = (ctx.outputs_list[1] || []).map(function (output) {
                var other = new URLSearchParams(params);
                other.set("lang", output.id.lang);
                return window.location.pathname + "?" + other.toString();
            });
            return [navs, langs];
        },
        narrowViewport: function () {
            /* Phones get the compact chart; wide screens keep the one rendered with the page. */
            var width = window.innerWidth;
            return width < NARROW ? width : window.dash_clientside.no_update;
        }
    }
});
