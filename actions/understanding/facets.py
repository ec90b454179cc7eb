"""A question about one facet of a named record: its price, for whom, hours, how to apply,
whether it still exists. Answered from the record, or saying that the record does not say.
"""

from __future__ import annotations

import json
import re

from rasa_sdk.types import DomainDict

from actions.answer_texts import answer_text
from actions.schemes_cards import PARAGRAPH, Answer, citation_line, render_details
from actions.schemes_wording import bullets, steps_list, structured_conditions
from knowledge.text import normalise
from knowledge.views import SchemeView

# Order matters: "comment on s'inscrire, c'est combien" answers the price first.
FACETS: dict[str, re.Pattern[str]] = {
    "valid": re.compile(
        r"\b(encore (valable|possible|d actualite|en place)|toujours (valable|d actualite|possible)|"
        r"existe (encore|toujours|plus)|existait (plus|encore)|n existe plus|existe t (il|elle)|"
        r"c est fini|supprime|supprimee|arrete|arretee|termine|terminee|c est vrai)\b"
    ),
    "what": re.compile(
        r"\b(c quoi|c koi|c est quoi|cest quoi|ckoi|qu est ce que|quest ce que|kesako|"
        r"ca consiste|ca sert a quoi|c est pour quoi)\b"
    ),
    # "ça prend combien de temps ?" asks a duration, not a price: the whole record tells it.
    "duration": re.compile(
        r"\b(combien de (temps|jours|semaines|mois|heures|annees|ans)|duree|ca dure|"
        r"prend du temps|c est long|delai|delais)\b"
    ),
    "price": re.compile(
        r"\b(combien|montant|prix|tarif|tarifs|cout|coute|coutent|gratuit|payant|payer|rembourse)\b"
    ),
    "hours": re.compile(r"\b(horaires?|ouvert|ouverte|ouvre|heures? d ouverture|quels jours)\b"),
    "who": re.compile(
        r"\b(pour qui|qui peut|j y ai droit|jy ai droit|ai je droit|droit|eligible|conditions?|"
        r"age minimum|a partir de quel age|contrepartie|en echange)\b"
    ),
    "apply": re.compile(
        r"\b(comment (on |je |faire|s inscrire|demander|ca marche)|s inscrire|m inscrire|"
        r"demande|dossier|postuler|demarches?|contacter|telephone|numero|ou aller|site|"
        r"(faut|dois|doit|on doit) faire quoi|(on|je) fait? comment|ca se passe comment)\b"
    ),
}
SHORT_MESSAGE_WORDS = 6
# Questions the whole record answers: no facet, "c'est quoi ?", "combien de temps ?".
WHOLE_RECORD = frozenset({None, "what", "duration"})


def facet_of(text: str) -> str | None:
    plain = normalise(text)
    return next((name for name, pattern in FACETS.items() if pattern.search(plain)), None)


def asks_about_one(text: str) -> bool:
    """True when the message asks something about a record rather than for a list."""
    return facet_of(text) is not None or len(normalise(text).split()) <= SHORT_MESSAGE_WORDS


def _facet_lines(domain: DomainDict, scheme: SchemeView, facet: str) -> list[str]:
    if facet == "price":
        if scheme.amount is not None and scheme.amount.text:
            return [answer_text("card_amount", amount=scheme.amount.text)]
        return [answer_text("facet_no_amount")]
    if facet == "who":
        conditions = structured_conditions(domain, scheme) + list(scheme.conditions.other)
        lines = [scheme.for_whom] if scheme.for_whom else []
        if conditions:
            lines.append(answer_text("details_conditions") + "\n" + bullets(conditions))
        return lines or [answer_text("facet_no_conditions")]
    if facet == "hours":
        return [answer_text("facet_no_hours")]
    if facet == "valid":
        date = scheme.information_date.strftime("%d/%m/%Y")
        return [answer_text("facet_still_valid", date=date)]
    return [answer_text("details_steps") + "\n" + steps_list(scheme)]


def render_asked(domain: DomainDict, scheme: SchemeView, facet: str | None) -> Answer:
    """The facet asked, or the whole record when the question is not about one facet."""
    if facet in WHOLE_RECORD:
        return render_details(domain, scheme)
    return render_facet(domain, scheme, str(facet))


def render_facet(domain: DomainDict, scheme: SchemeView, facet: str) -> Answer:
    """The facet asked, from the record, with the way to ask the organisation when it is silent."""
    lines = [f"**{scheme.name}**", *_facet_lines(domain, scheme, facet)]
    if facet in {"price", "hours", "who"}:
        lines.append(answer_text("details_steps") + "\n" + steps_list(scheme))
    used = {scheme.apply.url} if scheme.apply.url else set()
    lines.append(citation_line(scheme, used))
    named = json.dumps({"scheme": scheme.name}, ensure_ascii=False)
    buttons = [
        {"title": answer_text("button_details"), "payload": f"/ask_scheme_details{named}"},
        {"title": answer_text("button_eligibility"), "payload": f"/check_eligibility{named}"},
        {"title": answer_text("button_adviser"), "payload": "/request_human"},
    ]
    return Answer(PARAGRAPH.join(line for line in lines if line), buttons, (scheme.id,))
