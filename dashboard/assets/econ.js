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

/* Two accessibility repairs of Dash 4's components, applied as Dash renders them:
 * - the dropdown takes keyboard focus on an <input> it marks aria-hidden: a screen reader lands on an
 *   element it is told to ignore (axe: aria-hidden-focus). The input is in fact the control (Enter
 *   opens the list), so it is exposed as one: a combobox named by its field's caption and its value,
 *   whose aria-expanded follows the list;
 * - the checklist wraps each native checkbox in an element with role "option" inside a "listbox":
 *   interactive controls nested in interactive roles (axe: nested-interactive). The checkboxes and
 *   their <label>s already say everything, so those roles are removed (the fieldset names the group). */
(function () {
    function sync(input) {
        var button = input.parentNode && input.parentNode.querySelector("button.dash-dropdown");
        var group = input.closest("[role=group]");
        var expanded = (button && button.getAttribute("aria-expanded")) || "false";
        var labels = [group && group.getAttribute("aria-labelledby"), button && button.getAttribute("aria-labelledby")]
            .filter(Boolean).join(" ");
        var wanted = {"role": "combobox", "aria-haspopup": "listbox", "aria-expanded": expanded};
        if (labels) {
            wanted["aria-labelledby"] = labels;
        }
        if (input.hasAttribute("aria-hidden")) {
            input.removeAttribute("aria-hidden");
        }
        Object.keys(wanted).forEach(function (name) {
            if (input.getAttribute(name) !== wanted[name]) {
                input.setAttribute(name, wanted[name]);  /* only on a change: no mutation loop */
            }
        });
    }
    function plainChecklist(list) {
        [list].concat(Array.prototype.slice.call(list.querySelectorAll("[role=option]"))).forEach(function (node) {
            if (node.hasAttribute("role")) {
                node.removeAttribute("role");
            }
            if (node.hasAttribute("aria-selected")) {
                node.removeAttribute("aria-selected");
            }
        });
    }
    function fixAll() {
        document.querySelectorAll("input.dash-dropdown-focus-target").forEach(sync);
        document.querySelectorAll(".dash-checklist[role=listbox]").forEach(plainChecklist);
        document.querySelectorAll(".dash-checklist [role=option]").forEach(function (node) {
            plainChecklist(node.closest(".dash-checklist"));
        });
    }
    new MutationObserver(fixAll).observe(document.documentElement, {
        subtree: true, childList: true, attributes: true,
        attributeFilter: ["aria-hidden", "aria-expanded", "role", "aria-selected"]
    });
    document.addEventListener("DOMContentLoaded", fixAll);
})();
