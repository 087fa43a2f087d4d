"""Which fact tools a request's words call for: topics, typos, config asked of configured things."""

from __future__ import annotations

import pytest

from graph.topics import (
    TopicWord,
    field_topics,
    named_environment,
    topic_calls,
    topic_tools,
    topic_words,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Which LiveViews subscribe to PubSub?", ["liveviews", "pubsub_and_channels"]),
        ("Our Oban cron job runs twice", ["oban_jobs"]),
        ("list the routes and their pipelines", ["phoenix_routes"]),
        ("add a changeset validation to the Card schema", ["ecto_schemas"]),
        ("and who starts it?", ["otp_tree"]),
        ("why does the tracker restart so often?", ["otp_tree"]),
        ("where should I start reading this codebase?", []),
        ("deploy it", []),
        # Written apart, with an underscore or in one: the same topic word.
        ("which routes go to the board live views?", ["liveviews", "phoenix_routes"]),
        ("live_view or LiveView", ["liveviews"]),
        # Short words that start other words name their topic only whole (or plural).
        ("is Kanban.Repo pooled? which repos?", ["ecto_schemas"]),
        ("WeeklyReport reports", []),  # not "repo"
        ("env vars and the envelope", ["mix_config"]),  # "envelope" alone: no "env"
        ("a hexagonal architecture", []),  # not "hex"
    ],
)
def test_topic_tools(text, expected):
    assert topic_tools(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("which routs go to the board?", ["phoenix_routes"]),  # routes, one letter left out
        ("the chanels of the app", ["pubsub_and_channels"]),  # one letter left out
        ("is the scehma right?", ["ecto_schemas"]),  # two letters swapped
        ("where is the confog read?", ["mix_config"]),  # one letter replaced
        ("our genservver crashes", ["otp_tree"]),  # one letter too many
        ("how is it behavior tested?", ["elixir_modules"]),
        # A word's start ("schedul*", "dependenc*", "librar*") against the typed word's start.
        ("it is shedule for later", ["oban_jobs"]),
        ("which dependancies and libary?", ["mix_deps"]),
    ],
)
def test_a_topic_word_typed_one_edit_off_still_names_its_topic(text, expected):
    assert topic_tools(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Another first or last letter, or a word under six letters: mostly another word.
        "where do I start?",  # "starts" names the topic, "start" does not
        "the ticket is resolved",  # "resolver"
        "the release notes",  # "nodes"
        "what score do we get?",  # "scope"
        "is the API stable?",  # "table"
        "every event counts",  # "env", "mount"
        "getting a yield",  # "setting", "field"
    ],
)
def test_english_words_one_edit_from_a_topic_word_name_no_topic(text):
    assert topic_words(text) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # One ordinary English word names a topic for a handoff's tools, no more.
        ("how tall is mount everest in feet", []),
        ("write an emacs lisp function that toggles line numbers", []),
        # A word of the field does, and so do two ordinary words of the project's topics.
        ("the LiveView mount crashes", ["liveviews"]),
        ("is the Oban job retried?", ["oban_jobs"]),
        ("which routes use the browser pipeline?", ["phoenix_routes"]),
        ("which worker uses that channel?", ["pubsub_and_channels", "oban_jobs"]),
    ],
)
def test_field_topics_need_a_word_of_the_field_or_two_ordinary_ones(text, expected):
    assert field_topics(text) == expected
    assert set(expected) <= set(topic_tools(text))


def test_a_topic_words_marker_is_read_once_and_never_reported():
    assert TopicWord.written("schedul*") == TopicWord("schedul", starts_words=True)
    assert TopicWord.written("repo$") == TopicWord("repo", whole=True)
    assert TopicWord.written("live-view") == TopicWord("live-view")
    # The words a text uses are reported as spelled, without their markers.
    assert topic_words("the scheduling of repos") == {
        "oban_jobs": ["schedul"],
        "ecto_schemas": ["repo"],
    }


def test_config_asked_of_configured_things_filters_the_config_by_them():
    configured = {"endpoint", "repo", "oban"}.__contains__
    assert topic_calls("config for the endpoint and the repo", configured) == [
        ("mix_config", {"filter": "endpoint"}),
        ("mix_config", {"filter": "repo"}),
    ]
    # A word its config does not set keeps its own topic's tool; the others still filter.
    assert topic_calls("config of the endpoint and the routes", configured) == [
        ("phoenix_routes", {}),
        ("mix_config", {"filter": "endpoint"}),
    ]
    # Not asked about config: every topic's own tool, configured or not.
    assert topic_calls("the endpoint and the repo", configured) == [
        ("phoenix_routes", {}),
        ("ecto_schemas", {}),
    ]


def test_config_filters_that_would_not_fit_make_one_unfiltered_config_call():
    configured = {"endpoint", "repo", "oban"}.__contains__
    request = "config for the endpoint, the repo and oban"
    assert len(topic_calls(request, configured)) == 3
    assert topic_calls(request, configured, room=2) == [("mix_config", {})]


@pytest.mark.parametrize(
    ("text", "env"),
    [
        ("prod config", "prod"),
        ("which settings differ in production?", "prod"),
        ("what is the pool size in prod?", "prod"),
        ("Dev config of the endpoint", "dev"),
        ("the development environment", "dev"),
        ("the test env database", "test"),
        ("what changes in test?", "test"),
        ("config/prod.exs", "prod"),
        # Several environments, or words that only look like one: none.
        ("dev and prod config", None),
        ("does dev_routes appear in the config?", None),
        ("which tests cover the config?", None),
        ("the product config", None),
        ("what should a dev change in the config?", None),  # a developer
        ("as a developer, where is the config?", None),
    ],
)
def test_the_one_environment_a_request_names(text, env):
    assert named_environment(text) == env


def test_config_asked_of_one_environment_is_its_config_only():
    configured = {"endpoint", "repo"}.__contains__
    assert topic_calls("prod config for the endpoint and the repo", configured) == [
        ("mix_config", {"filter": "endpoint", "env": "prod"}),
        ("mix_config", {"filter": "repo", "env": "prod"}),
    ]
    assert topic_calls("which settings does the test env use?") == [("mix_config", {"env": "test"})]
    # Only the config's call: other topics' tools know no environment.
    assert topic_calls("the routes and the config in production") == [
        ("phoenix_routes", {}),
        ("mix_config", {"env": "prod"}),
    ]
    assert topic_calls("which routes exist in dev?") == [("phoenix_routes", {})]
