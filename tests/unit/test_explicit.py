"""The explicit-vocabulary detector: the framework's terms as names, not as common phrases."""

from __future__ import annotations

import pytest

from classifiers.explicit import has_explicit_vocabulary


@pytest.mark.parametrize("text", [
    "Of the five traits, speaking plainly is the one the department most lacks.",
    "Her advisory competence was never in doubt.",
    "What the Institute for Government calls outcome competence is where the programme failed.",
    "The trait the IfG calls 'getting it' is exactly what the private office showed.",
    "Officials must be 'comfortable with the politics' without becoming partisan.",
    "Judged on Getting Things Done, the department scores poorly under the new framework.",
])
def test_names_of_the_traits_count(text):
    assert has_explicit_vocabulary(text)


@pytest.mark.parametrize("text", [
    "This government is about getting things done for the people of Carlisle.",
    "I am speaking plainly when I say the bus service is a disgrace.",
    "He just didn't get it, and neither did his officials.",
    "She was good at giving good advice to constituents about their benefits.",
    "We are getting it done: the bypass opens in March.",
])
def test_common_phrases_do_not(text):
    assert not has_explicit_vocabulary(text)
