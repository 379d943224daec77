"""Session tags and transitive tag keys under AWS's rules."""

from __future__ import annotations

import pytest

from iamd.errors import InvalidParameterValue, ValidationError
from iamd.services.sts.session_inputs import checked_session_tags, tags_context


def _tags(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in pairs]


def test_passed_tags_and_transitive_keys() -> None:
    tags = checked_session_tags(_tags(("Project", "P"), ("Team", "T")), ["project"])
    assert tags.tags == (("Project", "P"), ("Team", "T"))
    assert tags.transitive_keys == ("Project",)
    assert tags_context(tags) == {
        "aws:requesttag/project": ("P",),
        "aws:requesttag/team": ("T",),
        "aws:tagkeys": ("Project", "Team"),
        "sts:transitivetagkeys": ("Project",),
    }


def test_inherited_transitive_tags_are_kept_and_stay_transitive() -> None:
    tags = checked_session_tags(
        _tags(("Team", "T")),
        None,
        inherited=(("Project", "P"), ("Other", "O")),
        inherited_transitive=("Project",),
    )
    assert tags.tags == (("Team", "T"), ("Project", "P"))
    assert tags.transitive_keys == ("Project",)
    assert tags.passed_keys == ("Team",)


def test_an_inherited_key_may_not_be_passed_again() -> None:
    with pytest.raises(InvalidParameterValue):
        checked_session_tags(
            _tags(("PROJECT", "x")),
            None,
            inherited=(("Project", "P"),),
            inherited_transitive=("Project",),
        )


def test_duplicates_regardless_of_case_are_refused() -> None:
    with pytest.raises(InvalidParameterValue, match="case insensitive"):
        checked_session_tags(_tags(("a", "1"), ("A", "2")), None)


def test_the_aws_prefix_is_reserved() -> None:
    with pytest.raises(InvalidParameterValue):
        checked_session_tags(_tags(("aws:x", "1")), None)


def test_transitive_keys_must_be_passed_tags() -> None:
    with pytest.raises(InvalidParameterValue):
        checked_session_tags(_tags(("a", "1")), ["b"])


def test_fifty_tags_at_most_with_inherited_ones() -> None:
    inherited = tuple((f"i{n}", "v") for n in range(10))
    passed = _tags(*((f"p{n}", "v") for n in range(41)))
    with pytest.raises(ValidationError):
        checked_session_tags(passed, None, inherited, [k for k, _ in inherited])
