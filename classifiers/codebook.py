"""The codebook as data: labels, definitions, cue phrases and the version string."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Frame:
    """One frame label of the codebook."""

    key: str
    name: str
    definition: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class Codebook:
    """The labelling scheme every prediction refers to by `version`."""

    version: str
    relevance_definition: str
    relevance_cues: tuple[str, ...]
    frames: tuple[Frame, ...]
    explicit_terms: tuple[str, ...]
    explicit_always: tuple[str, ...]

    @property
    def frame_keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.frames)

    def frame(self, key: str) -> Frame:
        for f in self.frames:
            if f.key == key:
                return f
        raise KeyError(f"no frame {key!r} in codebook {self.version}")


@lru_cache(maxsize=1)
def load_codebook() -> Codebook:
    """The shipped codebook (classifiers/codebook.json)."""
    data = json.loads(resources.files("classifiers").joinpath("codebook.json").read_text("utf-8"))
    frames = tuple(
        Frame(key, spec["name"], spec["definition"], tuple(spec["cues"]))
        for key, spec in data["frames"].items()
    )
    explicit = data["explicit_trait_vocabulary"]
    return Codebook(
        version=data["version"],
        relevance_definition=data["relevance"]["definition"],
        relevance_cues=tuple(data["relevance"]["cues"]),
        frames=frames,
        explicit_terms=tuple(explicit["terms"]),
        explicit_always=tuple(explicit["always_names"]),
    )


CODEBOOK = load_codebook()
CODEBOOK_VERSION = CODEBOOK.version
FRAMES: tuple[str, ...] = CODEBOOK.frame_keys
EXPLICIT_FLAG = "explicit_trait_vocabulary"
TRAITS: tuple[str, ...] = ("advice", "delivery", "candour", "understanding", "impartiality")
