"""The understanding evaluation's scoring: name matching, response recognition, flows, gate."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from scripts.eval import gate
from scripts.eval.cases import Case, Exchange, aggregate, load_set, score_case
from scripts.eval.play import Chat, play, project_matcher
from scripts.eval.scoring import (
    FlowRules,
    ResponseMatcher,
    alias_variants,
    expected_groups_found,
    flows_of,
    is_rejection,
    names_in,
    normalise,
)
from scripts.eval_understanding import details_allowed

ROOT = Path(__file__).resolve().parent.parent
RULES = FlowRules.load(ROOT / "scripts" / "eval" / "flows.yml")

MATCHER = ResponseMatcher(
    {
        "utter_ask_place_answer": ["Dans quelle commune habitez-vous ?"],
        "utter_scheme_card": ["{position}. {name}\n{summary}\nPour qui : {audience}"],
        "utter_scheme_details": ["{name}\n{details}"],
        "utter_out_of_scope": ["Je ne peux pas vous aider sur ce sujet, désolé."],
        "utter_default": ["Je ne suis pas sûr de pouvoir répondre à cela."],
        "utter_lead_start": ["Je vais noter votre besoin de recrutement."],
        "utter_greet": ["Bonjour ! Que puis-je faire pour vous ?"],
        "text:handoff_queued": ["Temps d'attente estimé : environ {minutes} min."],
    },
    {
        "answer:heading_national": ["Pour {topic} :"],
        "answer:card_title": ["{position}. **{name}**"],
        "answer:details_steps": ["Pour faire la demande :"],
        "answer:topics_pair": ["{first} et {second}"],
    },
)


def exchange(kind: str, *texts: str) -> Exchange:
    return Exchange(sent="x", kind=kind, texts=list(texts), names=[MATCHER.name(t) for t in texts])


CARD = "1. Aide Mobili-Jeune\nUne aide au loyer.\nPour qui : alternants"
# A scheme answer composed in code: one message, named after its first catalogue line.
ANSWER = (
    "Pour le logement :\n\n1. **Mobili-Jeune (Action Logement)**\nMontant : 10 à 100 € par mois"
)
PLACE = "Dans quelle commune habitez-vous ?"


def test_normalise_folds_case_accents_and_punctuation() -> None:
    assert (
        normalise("  L'Aide  à la MOBILITÉ (France-Travail) !")
        == "l aide a la mobilite france travail"
    )


def test_names_match_without_accents_case_or_hyphens() -> None:
    answer = "Voici : 1. aide mobili jeune — prise en charge PARTIELLE du loyer"
    assert names_in(answer, ["Mobili-Jeune", "Visale"]) == ["Mobili-Jeune"]
    assert names_in("la prime d'activite", ["Prime d'activité"]) == ["Prime d'activité"]


def test_names_match_whole_words_only() -> None:
    # "APL" must not be found inside "appliquer", nor "CEP" inside "accepter".
    assert names_in("vous pouvez appliquer et accepter", ["APL", "CEP"]) == []
    assert names_in("l'APL de la CAF", ["APL"]) == ["APL"]


def test_long_form_and_acronym_of_an_alias_are_both_accepted() -> None:
    assert alias_variants("foyer de jeunes travailleurs (FJT)") == {
        "foyer de jeunes travailleurs fjt",
        "foyer de jeunes travailleurs",
        "fjt",
    }
    assert names_in(
        "un Foyer de jeunes travailleurs à Vannes", ["foyer de jeunes travailleurs (FJT)"]
    )
    assert names_in("les FJT", ["foyer de jeunes travailleurs (FJT)"])


def test_expected_groups_count_each_scheme_once() -> None:
    groups = [["Mobili-Jeune", "aide Mobili-Jeune"], ["Visale"], ["APL"]]
    assert expected_groups_found(CARD + " et Visale", groups) == 2


def test_messages_are_recognised_by_their_response_and_the_most_specific_wins() -> None:
    assert MATCHER.name(CARD) == "utter_scheme_card"
    assert MATCHER.name("Visale\nUne garantie gratuite.") == "utter_scheme_details"
    assert MATCHER.name("Temps d'attente estimé : environ 12 min.") == "text:handoff_queued"
    assert MATCHER.name(PLACE) == "utter_ask_place_answer"
    assert MATCHER.name("un texte que personne n'a écrit") is None
    assert MATCHER.name(ANSWER) == "answer:heading_national"
    details = "**Visale**\nUne garantie.\nPour faire la demande :\n- en ligne"
    assert MATCHER.name(details) == "answer:details_steps"
    # A line template with almost no words of its own names no line but a first one.
    assert MATCHER.name("**Visale**\nle loyer et les charges") == "utter_scheme_details"


def scheme_case(**kwargs: object) -> Case:
    values: dict[str, object] = {
        "id": "T1",
        "turns": ("aide loyer apprenti",),
        "commune": "Vannes",
        "flow": "scheme_answer",
        "schemes": (("Mobili-Jeune",), ("Visale",)),
        "national": True,
    }
    values.update(kwargs)
    return Case(**values)  # type: ignore[arg-type]


def test_a_scheme_named_after_the_commune_is_right_but_the_national_answer_waited() -> None:
    score = score_case(scheme_case(), [exchange("turn", PLACE), exchange("place", CARD)], RULES)
    assert score.right and score.national_wait and not score.not_understood


def test_a_scheme_given_at_once_does_not_wait() -> None:
    score = score_case(scheme_case(), [exchange("turn", CARD, PLACE)], RULES)
    assert score.right and not score.national_wait


def test_a_local_question_asking_the_commune_is_not_a_national_wait() -> None:
    score = score_case(
        scheme_case(national=False), [exchange("turn", PLACE), exchange("place", CARD)], RULES
    )
    assert score.right and not score.national_wait


def test_only_the_two_replies_after_the_last_turn_count() -> None:
    case = scheme_case(turns=("c'est quoi mobili jeune", "faut rembourser ?"))
    early = [
        exchange("turn", CARD),
        exchange("turn", "Je ne suis pas sûr de pouvoir répondre à cela."),
    ]
    score = score_case(case, early, RULES)
    assert not score.right and score.not_understood


def test_a_wrong_scheme_is_not_right() -> None:
    other = "1. Loca-Pass\nUne avance.\nPour qui : locataires"
    assert not score_case(scheme_case(), [exchange("turn", other)], RULES).right


@pytest.mark.parametrize(
    ("flow", "reply", "right"),
    [
        ("hiring_need", "Je vais noter votre besoin de recrutement.", True),
        ("hiring_need", CARD, False),
        ("human", "Temps d'attente estimé : environ 3 min.", True),
        ("social", "Bonjour ! Que puis-je faire pour vous ?", True),
        ("out_of_scope", "Je ne peux pas vous aider sur ce sujet, désolé.", True),
        ("out_of_scope", "Je ne suis pas sûr de pouvoir répondre à cela.", True),
        ("out_of_scope", CARD, False),
        ("offers", "Je ne peux pas vous aider sur ce sujet, désolé.", False),
    ],
)
def test_flow_cases(flow: str, reply: str, right: bool) -> None:
    case = Case(id="F", turns=("message",), flow=flow)
    assert score_case(case, [exchange("turn", reply)], RULES).right is right


def test_out_of_domain_is_rejected_only_when_nothing_else_is_said() -> None:
    case = Case(id="O", turns=("recette de la tarte",), overlap=False)
    refusal = "Je ne peux pas vous aider sur ce sujet, désolé."
    assert score_case(case, [exchange("turn", refusal)], RULES).rejected
    assert not score_case(case, [exchange("turn", refusal, CARD)], RULES).rejected
    assert not score_case(case, [exchange("turn", PLACE)], RULES).rejected


def test_aggregates_name_no_case(tmp_path: Path) -> None:
    path = tmp_path / "set.yml"
    path.write_text(
        "meta: {name: t}\ncases:\n"
        "  - {id: S1, profile: {commune: Lille}, turns: [a], expect: {flow: scheme_answer, schemes: [[Visale]], national: true}}\n"
        "  - {id: S2, turns: [b], expect: {flow: human}}\n"
        "  - {id: S3, text: c, overlap: true, topic: x}\n",
        encoding="utf-8",
    )
    _, cases = load_set(path)
    assert [c.commune for c in cases] == ["Lille", None, None]
    assert cases[2].out_of_domain and cases[2].turns == ("c",)
    scores = [
        score_case(
            cases[0],
            [exchange("turn", PLACE), exchange("place", "1. Visale\nx\nPour qui : y")],
            RULES,
        ),
        score_case(cases[1], [exchange("turn", "Bonjour ! Que puis-je faire pour vous ?")], RULES),
        score_case(
            cases[2], [exchange("turn", "Je ne peux pas vous aider sur ce sujet, désolé.")], RULES
        ),
    ]
    figures = aggregate(cases, scores)
    assert figures["right"] == {"count": 1, "of": 2, "rate": 0.5}
    assert figures["national_wait"]["count"] == 1
    assert figures["rejected"]["rate"] == 1.0 and figures["rejected_overlap"]["of"] == 1
    assert "S1" not in json.dumps(figures)


def test_details_are_kept_for_development_sets_only() -> None:
    assert details_allowed(ROOT / "tests" / "dev" / "any.yml")
    assert not details_allowed(ROOT / "tests" / "blind" / "understanding-2026-12-05-a.yml")
    assert not details_allowed(ROOT / "tests" / "dev" / ".." / "blind" / "x.yml")


def test_gate_fails_on_a_missing_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gate.main(["--report", str(tmp_path / "none.json")]) == 1
    assert "no report" in capsys.readouterr().out


def test_gate_prints_floor_measure_target_and_fails_under_the_floor(tmp_path: Path) -> None:
    floors = {
        "sets": {
            "s.yml": {
                "right": {"floor": 0.5, "target": 0.8},
                "national_wait": {"ceiling": 0.2, "target": 0.0},
            }
        }
    }
    report = {
        "sets": {"s.yml": {"errors": 0, "right": {"rate": 0.45}, "national_wait": {"rate": 0.1}}}
    }
    lines, ok = gate.check(report, floors)
    assert not ok
    assert "FAIL s.yml right: measured 0.450, floor 0.5, target 0.8" in lines
    report["sets"]["s.yml"]["right"]["rate"] = 0.6  # type: ignore[index]
    assert gate.check(report, floors)[1]
    assert not gate.check({"sets": {}}, floors)[1]


def _real_texts() -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for path in sorted((ROOT / "domain").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variants in (data.get("responses") or {}).items():
            texts[name] = [
                str(v["text"]) for v in variants if isinstance(v, dict) and v.get("text")
            ]
    return texts


def test_every_response_of_the_real_domain_is_recognised_as_itself() -> None:
    matcher = project_matcher(ROOT)
    texts = _real_texts()
    wrong = [
        (name, found)
        for name, variants in texts.items()
        for text in variants
        # Labels of three letters ("CDI") are parts of messages, never a message.
        if "{" not in text
        and sum(c.isalnum() for c in text) >= 4
        and (found := matcher.name(text)) != name
        # Two responses with the same words cannot be told apart, and need not be.
        and text not in texts.get(str(found), [])
    ]
    assert not wrong


def test_every_flow_rule_names_a_real_response() -> None:
    # A response renamed in the domain must be renamed in flows.yml, or its flow is never seen.
    names = list(_real_texts())
    catalogue = yaml.safe_load((ROOT / "channels" / "texts_fr.yml").read_text(encoding="utf-8"))
    names += [f"text:{key}" for key in catalogue["texts"]]
    answers = yaml.safe_load((ROOT / "actions" / "answer_texts_fr.yml").read_text(encoding="utf-8"))
    names += [f"answer:{key}" for key in answers["texts"]]
    patterns = [p for ps in RULES.flows.values() for p in ps]
    patterns += [*RULES.place_questions, *RULES.fallback, *RULES.rejection]
    dead = [p for p in patterns if not any(re.fullmatch(p, n) for n in names)]
    assert not dead


def fake_chat(replies: dict[str, list[str]], sent: list[str]) -> Chat:
    def chat(session_id: str, text: str) -> list[dict[str, object]]:
        sent.append(text)
        return [{"text": t, "buttons": []} for t in replies.get(text, ["?"])]

    return chat


def test_play_answers_the_place_question_with_the_profile_commune_once() -> None:
    sent: list[str] = []
    chat = fake_chat({"aide loyer": [PLACE], "Vannes": [CARD]}, sent)
    exchanges = play(scheme_case(turns=("aide loyer",)), chat, MATCHER, RULES)
    assert sent == ["aide loyer", "Vannes"]
    assert [e.kind for e in exchanges] == ["turn", "place"]
    assert score_case(scheme_case(), exchanges, RULES).right


def test_play_declines_the_place_question_without_a_commune() -> None:
    sent: list[str] = []
    chat = fake_chat({"aide loyer": [PLACE], "/dont_know": [PLACE]}, sent)
    play(scheme_case(turns=("aide loyer", "et après"), commune=None), chat, MATCHER, RULES)
    assert sent == ["aide loyer", "/dont_know", "et après"]


def test_a_place_noted_in_passing_does_not_spoil_a_rejection() -> None:
    rules = FlowRules(
        flows=RULES.flows,
        place_questions=RULES.place_questions,
        fallback=RULES.fallback,
        rejection=RULES.rejection,
        neutral=["utter_place_found"],
    )
    names: list[str | None] = ["utter_place_found", "utter_out_of_scope"]
    assert is_rejection(names, rules)
    assert not is_rejection(["utter_place_found"], rules)
    assert not is_rejection(["utter_out_of_scope", "answer:clarify_schemes"], rules)
    assert flows_of(["answer:clarify_schemes"], rules) == {"clarify"}


def test_a_scheme_offered_as_a_button_is_named() -> None:
    clarify = Exchange(
        sent="x",
        kind="turn",
        texts=["Je ne suis pas sûr d'avoir compris. Parlez-vous de l'une de ces aides ?"],
        names=["answer:clarify_schemes"],
        buttons=["Garantie Visale (Action Logement)", "Parler à un conseiller"],
    )
    score = score_case(scheme_case(), [clarify], RULES)
    assert score.right and score.clarified and not score.not_understood


def test_a_fallback_next_to_an_answer_is_not_a_misunderstanding() -> None:
    default = "Je ne suis pas sûr de pouvoir répondre à cela."
    case = scheme_case(national=False)
    assert not score_case(case, [exchange("turn", CARD, default)], RULES).not_understood
    assert score_case(case, [exchange("turn", default)], RULES).not_understood


def test_texts_joined_in_one_message_are_named_after_the_first_not_a_generic_template() -> None:
    # The gateway joins "nobody online" and the call-back offer in one message: a hand-off, not
    # the employer card "{name}\n{text}" (the hand-off cases were scored wrong before).
    matcher = project_matcher(ROOT)
    catalogue = yaml.safe_load((ROOT / "channels" / "texts_fr.yml").read_text(encoding="utf-8"))
    first = catalogue["texts"]["handoff_unavailable_nobody_online"]
    message = f"{first}\nUn conseiller peut vous rappeler : écrivez votre numéro."
    assert matcher.name(message) == "text:handoff_unavailable_nobody_online"
