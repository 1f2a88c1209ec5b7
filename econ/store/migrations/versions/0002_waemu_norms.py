"""The WAEMU first-rank convergence criteria, as the norms every store starts with

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SOURCE = (
    "UEMOA, Acte additionnel n° 01/2015/CCEG/UEMOA instituant le Pacte de convergence, "
    "de stabilité, de croissance et de solidarité (critères de premier rang)"
)
WAEMU = "BEN BFA CIV GNB MLI NER SEN TGO WAEMU"

NORMS = [
    {
        "code": "waemu_inflation",
        "indicator": "inflation",
        "comparison": "<=",
        "threshold": 3.0,
        "label_fr": "Norme UEMOA : inflation annuelle moyenne d'au plus 3 %",
        "label_en": "WAEMU norm: annual average inflation of at most 3%",
    },
    {
        "code": "waemu_fiscal_balance",
        "indicator": "fiscal_balance",
        "comparison": ">=",
        "threshold": -3.0,
        "label_fr": "Norme UEMOA : solde budgétaire global (dons compris) d'au moins -3 % du PIB",
        "label_en": "WAEMU norm: overall fiscal balance (incl. grants) of at least -3% of GDP",
    },
    {
        "code": "waemu_public_debt",
        "indicator": "public_debt",
        "comparison": "<=",
        "threshold": 70.0,
        "label_fr": "Norme UEMOA : dette publique d'au plus 70 % du PIB",
        "label_en": "WAEMU norm: public debt of at most 70% of GDP",
    },
]


def upgrade() -> None:
    norms = sa.table(
        "norms",
        *(sa.column(c) for c in ("code", "indicator", "comparison", "threshold", "label_fr", "label_en", "source", "countries")),
    )
    op.bulk_insert(norms, [{**n, "source": SOURCE, "countries": WAEMU} for n in NORMS])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM norms WHERE code IN ('waemu_inflation', 'waemu_fiscal_balance', 'waemu_public_debt')"))
