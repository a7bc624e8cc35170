"""The slash-command grammar under arbitrary text: Args or a UserInputError, and round-trips."""

from __future__ import annotations

import shlex

from hypothesis import given
from hypothesis import strategies as st

from bot.args import Args, parse_args
from bot.errors import UserInputError

# Words as users type them: letters (Vietnamese too), digits, punctuation the grammar reads.
_WORD = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Zs", "Cc")),
    min_size=1,
    max_size=12,
).filter(lambda w: not set(w) & set("\"'“”‘’=\\#"))
_KEY = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)


@given(st.text(max_size=300))
def test_any_text_gives_args_or_a_user_input_error(text: str) -> None:
    try:
        args = parse_args(text)
    except UserInputError:
        return
    assert isinstance(args, Args)
    assert all(isinstance(word, str) for word in args.positional)
    assert all(key == key.lower() and "=" not in key for key in args.options)
    # Every repeated option is an option, and its last value is the one kept.
    for key, values in args.repeated.items():
        assert len(values) > 1 and args.options[key] == values[-1]
    # shift never fails and never invents words.
    shifted = args.shift(1)
    assert shifted.positional == args.positional[1:] and shifted.options == args.options


@given(
    st.lists(_WORD.filter(lambda w: "=" not in w), max_size=6),
    st.dictionaries(_KEY, _WORD, max_size=4),
)
def test_words_and_options_round_trip(positional: list[str], options: dict[str, str]) -> None:
    text = " ".join([*map(shlex.quote, positional), *(f"{k}={v}" for k, v in options.items())])
    args = parse_args(text)
    assert args.positional == positional
    assert args.options == options
    assert args.repeated == {}


# Slack's curly quotes are read as straight ones, so they cannot round-trip inside a value.
_VALUE = st.text(max_size=20).filter(lambda v: not set(v) & set("\x00“”‘’"))


@given(st.dictionaries(_KEY, _VALUE, max_size=4))
def test_a_quoted_value_round_trips_whatever_it_holds(options: dict[str, str]) -> None:
    text = " ".join(f"{k}={shlex.quote(v)}" for k, v in options.items())
    assert parse_args(text).options == options


@given(_KEY, st.lists(_WORD, min_size=2, max_size=4))
def test_a_repeated_option_is_reported_with_every_value_in_order(
    key: str, values: list[str]
) -> None:
    args = parse_args(" ".join(f"{key}={v}" for v in values))
    assert args.repeated == {key: tuple(values)}
