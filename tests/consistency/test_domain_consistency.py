"""Lane a: the domain, the training data and the action code agree with each other."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Action

import actions
from tests.factories import NLU_DIR, ROOT, load_domain, names

# Intents only ever sent as payloads by the gateway or Rasa itself, never typed by a person.
PAYLOAD_ONLY_INTENTS = {"nlu_fallback", "handoff_ended"}
_RESPONSE_IN_CODE = re.compile(r"""["'](utter_[a-z0-9_]+)["']""")
# Strings of that shape that name no response: the key Rasa puts in a bot event's metadata.
_NOT_RESPONSES = {"utter_action"}


def action_classes() -> list[type[Action]]:
    """Every concrete Action that rasa-sdk would register from the actions package."""
    found: list[type[Action]] = []
    for module_info in pkgutil.walk_packages(actions.__path__, prefix="actions."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, Action)
                and cls.__module__ == module.__name__
                and not inspect.isabstract(cls)
            ):
                found.append(cls)
    return found


def nlu_intents(folder: Path) -> dict[str, int]:
    """Intent name -> number of examples in a folder of NLU files."""
    counts: dict[str, int] = {}
    for path in folder.rglob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if "intent" in block:
                examples = [
                    e
                    for e in str(block.get("examples", "")).splitlines()
                    if e.strip().startswith("- ")
                ]
                counts[block["intent"]] = counts.get(block["intent"], 0) + len(examples)
    return counts


def all_yaml_files() -> list[Path]:
    folders = [ROOT / "domain", NLU_DIR, ROOT / "tests" / "conversations", ROOT / "tests" / "nlu"]
    return sorted(p for folder in folders if folder.exists() for p in folder.rglob("*.yml"))


def test_every_action_class_is_declared_in_the_domain() -> None:
    declared = set(load_domain()["actions"])
    missing = sorted(cls().name() for cls in action_classes() if cls().name() not in declared)
    assert not missing, f"actions missing from domain/*.yml: {missing}"


def test_every_custom_action_in_the_domain_has_a_class() -> None:
    implemented = {cls().name() for cls in action_classes()}
    declared = {a for a in load_domain()["actions"] if not a.startswith("utter_")}
    assert not declared - implemented, (
        f"declared but not implemented: {sorted(declared - implemented)}"
    )


def test_every_response_named_in_code_exists() -> None:
    responses = set(load_domain()["responses"])
    used: set[str] = set()
    for path in (ROOT / "actions").rglob("*.py"):
        used.update(_RESPONSE_IN_CODE.findall(path.read_text(encoding="utf-8")))
    prefixes = {u for u in used if u.endswith("_")} | _NOT_RESPONSES
    assert not (used - prefixes) - responses, (
        f"unknown responses: {sorted((used - prefixes) - responses)}"
    )


@pytest.mark.parametrize("name", sorted(load_domain()["responses"]))
def test_every_response_has_french_text(name: str) -> None:
    variants: list[dict[str, Any]] = load_domain()["responses"][name]
    assert variants, name
    for variant in variants:
        assert str(variant.get("text", "")).strip() or variant.get("custom"), name


def test_every_domain_intent_has_training_examples() -> None:
    trained = nlu_intents(NLU_DIR)
    domain_intents = set(names(load_domain()["intents"])) - PAYLOAD_ONLY_INTENTS
    assert not domain_intents - set(trained), (
        f"no examples: {sorted(domain_intents - set(trained))}"
    )
    assert not set(trained) - set(names(load_domain()["intents"])), (
        "intents with examples but not in the domain"
    )


def test_every_intent_has_enough_examples() -> None:
    thin = {intent: n for intent, n in nlu_intents(NLU_DIR).items() if n < 10}
    assert not thin, f"intents with fewer than 10 examples: {thin}"


def test_every_trained_intent_has_15_held_out_examples() -> None:
    held_out = nlu_intents(ROOT / "tests" / "nlu")
    thin = {intent: held_out.get(intent, 0) for intent in nlu_intents(NLU_DIR)}
    thin = {intent: n for intent, n in thin.items() if n < 15}
    assert not thin, f"intents with fewer than 15 held-out examples in tests/nlu: {thin}"


@pytest.mark.parametrize("path", all_yaml_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_yaml_files_declare_format_version(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    assert str(data.get("version")) == "3.1", f'{path} must start with version: "3.1"'


def test_button_payloads_name_known_intents() -> None:
    domain = load_domain()
    intents = set(names(domain["intents"]))
    unknown = set()
    for name, variants in domain["responses"].items():
        for variant in variants:
            for button in variant.get("buttons") or []:
                intent = re.match(r"^/([a-z_]+)", str(button["payload"]))
                if intent and intent.group(1) not in intents:
                    unknown.add((name, intent.group(1)))
    assert not unknown, f"buttons sending unknown intents: {sorted(unknown)}"


# The held-out leak check (normalised, with a similarity threshold) is in test_leak_held_out_nlu.py.


def test_no_training_example_is_labelled_with_two_intents() -> None:
    owners: dict[str, set[str]] = {}
    for path in NLU_DIR.rglob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    plain = re.sub(
                        r"\[([^\]]+)\]\([^)]+\)|\[([^\]]+)\]\{[^}]+\}", r"\1\2", line.strip()[2:]
                    )
                    owners.setdefault(plain.lower().strip(), set()).add(block["intent"])
    clashes = {text: sorted(intents) for text, intents in owners.items() if len(intents) > 1}
    assert not clashes, f"examples under several intents: {clashes}"
