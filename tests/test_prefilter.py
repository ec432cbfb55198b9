"""The pre-filter only skips facts that durable_rules itself would refuse."""

from hypothesis import given, settings
from hypothesis import strategies as st

from pactwatch.contracts import effective_params
from pactwatch.evaluation.sessions import SessionPool
from pactwatch.models.events import EVENT_TYPES
from pactwatch.rules.compiler import compile_rules

from conftest import contract

facts = st.fixed_dictionaries(
    {"type": st.sampled_from(EVENT_TYPES), "at": st.integers(0, 10**6)},
    optional={
        "actor": st.sampled_from(["vendor", "customer", "monitor"]),
        "kind": st.sampled_from(["warning", "suspension", "maintenance", "complaint", "reply"]),
        "up": st.booleans(),
        "result": st.sampled_from(["pass", "fail"]),
        "status": st.sampled_from(["resolved", "degraded"]),
        "apology": st.sampled_from(["explicit", "regret-only", "none"]),
        "claims_resolution": st.booleans(),
        "opens_outage": st.booleans(),
        "service": st.sampled_from(["a.de", "b.de"]),
        "host": st.sampled_from(["h1", "h2"]),
    },
)


@settings(max_examples=300, deadline=None)
@given(fact=facts)
def test_skipped_facts_are_refused_by_durable_rules(library, fact):
    compiled = compile_rules(list(library.rules), effective_params(contract(), library.concepts))
    if compiled.could_match(fact):
        return
    pool = SessionPool(compiled.definition, lambda *_: None)
    try:
        session = pool.open()
        stored = session.assert_fact({**fact, "id": "f1", "ref": "f1", "pw": "ev", "ev": "e1"})
        assert not stored, f"durable_rules accepted a fact the pre-filter skipped: {fact}"
        session.close()
    finally:
        pool.shutdown()
