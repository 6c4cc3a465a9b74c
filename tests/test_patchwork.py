"""course.patchwork: applicable laws for hand-worked profiles, patchwork measures, preemption.

Each expected answer below was worked out by hand from the laws' triggers in
course/data/state_laws.csv (state, status, effective date, covered activity, thresholds).
"""

from __future__ import annotations

import pandas as pd
import pytest

from course import datasets, patchwork
from course.datasets import load_law_obligations, load_state_laws
from course.patchwork import CompanyProfile

TODAY = datasets.FACTS_AS_OF


def ids(profile: CompanyProfile, on: str = TODAY) -> list[str]:
    return patchwork.applicable_laws(profile, on)["law_id"].tolist()


# 1. A frontier lab in California and New York, above both compute and revenue tests.
BIG_LAB = CompanyProfile(
    states=("CA", "NY"), activities=("frontier-model",), training_flop=3e26, revenue_usd=2e9
)


def test_frontier_lab_is_bound_by_sb53_now_and_raise_from_2027():
    assert ids(BIG_LAB) == ["ca-sb-53"]  # RAISE starts 1 Jan 2027; SB 1047 was vetoed
    assert ids(BIG_LAB, "2027-01-01") == ["ca-sb-53", "ny-raise-act"]
    assert ids(BIG_LAB, "2025-12-31") == []  # SB 53 takes effect 1 Jan 2026
    why = patchwork.applicable_laws(BIG_LAB).loc[0, "why"]
    assert "operates in CA" in why and "3.0e+26 > 1e+26" in why and "revenue" in why


# 2. The same model from a developer under the $500M revenue test.
def test_small_developer_under_the_revenue_test_is_not_covered():
    small = CompanyProfile(
        states=("CA", "NY"), activities=("frontier-model",), training_flop=3e26, revenue_usd=1e8
    )
    assert ids(small, "2027-06-01") == []


# 3. Large revenue, but training compute at or below 1e26.
@pytest.mark.parametrize("flop", [5e25, 1e26])
def test_compute_at_or_below_the_line_is_not_covered(flop):
    lab = CompanyProfile(
        states=("CA",), activities=("frontier-model",), training_flop=flop, revenue_usd=2e9
    )
    assert ids(lab) == []


# 4. A hiring-tool vendor in Illinois, New York City and Colorado.
def test_hiring_tool_vendor():
    vendor = CompanyProfile(states=("IL", "NY", "CO"), activities=("hiring-tool",))
    assert ids(vendor) == ["il-hb-3773", "nyc-ll-144"]  # Colorado's law covers other decisions
    assert ids(vendor, "2025-06-01") == ["nyc-ll-144"]  # Illinois starts 1 Jan 2026
    lender = CompanyProfile(states=("CO",), activities=("consequential-decisions",))
    assert ids(lender) == []  # SB 24-205 was repealed; SB 26-189 starts 1 Jan 2027
    assert ids(lender, "2027-01-01") == ["co-sb-26-189"]


# 5. A companion chatbot in California and Connecticut.
def test_companion_chatbot():
    bot = CompanyProfile(states=("CA", "CT"), activities=("companion-chatbot",))
    assert ids(bot) == ["ca-sb-243", "ct-sb-5-2026"]
    assert ids(bot, "2026-09-30") == ["ca-sb-243"]  # Connecticut's act starts 1 Oct 2026
    duties = patchwork.distinct_obligations(patchwork.applicable_laws(bot))
    assert "minor protections" in duties and "self-harm protocol" in duties


# 6. A generative-AI service in California below and above the 1M-user test.
def test_genai_service_and_the_user_threshold():
    small = CompanyProfile(states=("CA",), activities=("genai-provider",), monthly_users=5e5)
    assert ids(small) == ["ca-ab-2013"]
    big = CompanyProfile(states=("CA",), activities=("genai-provider",), monthly_users=2e6)
    assert ids(big) == ["ca-ab-2013", "ca-sb-942"]
    assert ids(big, "2026-07-01") == ["ca-ab-2013"]  # SB 942 was delayed to 2 Aug 2026


# 7. Single-purpose products in Tennessee, Illinois, Texas and Utah.
@pytest.mark.parametrize(
    ("states", "activity", "expected"),
    [
        (("TN",), "voice-likeness", ["tn-elvis-act"]),
        (("IL",), "therapy-chatbot", ["il-hb-1806"]),
        (("TX",), "government-use", ["tx-hb-149"]),
        (("UT", "WA"), "genai-provider", ["ut-sb-149"]),
        (("CA",), "election-content", []),  # AB 2655 struck down, AB 2839 enjoined
        (("WA", "OR"), "frontier-model", []),  # no law in the table
    ],
)
def test_single_purpose_products(states, activity, expected):
    assert ids(CompanyProfile(states=states, activities=(activity,))) == expected


def test_every_applicable_law_lists_its_obligations():
    table = patchwork.applicable_laws(BIG_LAB, "2027-01-01")
    duties = dict(zip(table["law_id"], table["obligations"], strict=True))
    assert {"safety framework", "incident reporting"} <= set(duties["ny-raise-act"])
    assert patchwork.distinct_obligations(table) == sorted(
        set(duties["ca-sb-53"]) | set(duties["ny-raise-act"])
    )


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"states": ("XX",)}, "unknown state 'XX'"),
        ({"states": ("California",)}, "two-letter postal codes"),
        ({"states": ()}, "at least one state"),
        ({"activities": ("chatbot",)}, "unknown activity 'chatbot'"),
        ({"training_flop": -1.0}, "cannot be negative"),
        ({"revenue_usd": float("nan")}, "finite number"),
    ],
)
def test_bad_profiles_are_refused_clearly(kwargs, fragment):
    args = {"states": ("CA",), "activities": ("frontier-model",)} | kwargs
    with pytest.raises(ValueError, match=fragment):
        CompanyProfile(**args)


def test_a_single_string_is_one_state():
    assert CompanyProfile(states="CA", activities="hiring-tool").states == ("CA",)


def test_bad_dates_and_profiles_are_refused():
    with pytest.raises(ValueError, match="not a date"):
        patchwork.applicable_laws(BIG_LAB, "soon")
    with pytest.raises(TypeError, match="CompanyProfile"):
        patchwork.applicable_laws({"states": ["CA"]})


def test_obligation_matrix_and_jaccard():
    laws, duties = load_state_laws(), load_law_obligations()
    matrix = patchwork.obligation_matrix(laws, duties)
    assert set(matrix.to_numpy().ravel()) <= {0, 1}
    assert "NY" in matrix.index and matrix.loc["NY", "bias audit"] == 1  # NYC LL 144
    assert "incident reporting" not in matrix.columns or matrix.loc["NY", "incident reporting"] == 0
    sim = patchwork.jaccard_matrix(matrix)
    assert (sim.to_numpy().diagonal() == 1).all()
    assert (sim == sim.T).all().all()
    # by hand: IL has {prohibited uses, notice to individuals, licensed oversight};
    # NY (city law) has {bias audit, notice to individuals}: 1 shared of 4 in all
    assert sim.loc["IL", "NY"] == pytest.approx(1 / 4)
    everything = patchwork.obligation_matrix(laws, duties, on=None)
    assert everything.loc["NY", "incident reporting"] == 1


def test_jaccard_on_a_toy_matrix():
    m = pd.DataFrame({"a": [1, 1, 0, 0], "b": [1, 0, 0, 0], "c": [0, 1, 0, 0]}, index=list("WXYZ"))
    sim = patchwork.jaccard_matrix(m)
    assert sim.loc["W", "X"] == pytest.approx(1 / 3)
    assert sim.loc["Y", "Z"] == 1.0  # two empty sets
    assert sim.loc["W", "Y"] == 0.0


def test_preemption_scenarios():
    laws, duties = load_state_laws(), load_law_obligations()
    base = patchwork.preemption_scenario(laws, duties, "none")
    assert base["survives"].all()
    assert len(base) == len(patchwork.laws_in_effect(laws, TODAY))
    moratorium = patchwork.preemption_scenario(laws, duties, "moratorium-2025")
    assert not moratorium["survives"].any()
    framework = patchwork.preemption_scenario(laws, duties, "framework-2026")
    kept = framework.loc[framework["survives"], "law_id"].tolist()
    assert kept == ["ca-sb-243"]  # the only law in effect with protections for minors
    with pytest.raises(ValueError, match="unknown scenario"):
        patchwork.preemption_scenario(laws, duties, "federal-takeover")
