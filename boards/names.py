"""Finding the people and organisations a cell names ("Chris Lyons and Jade Hodgson",
"LBBD / MPS"), for lists of leads typed as words."""

import re
from collections import defaultdict

from boards.models import Organisation, Partnership, Person
from boards.selectors import organisations_of, people_of

_SEPARATORS = re.compile(r"\s*(?:,|;|/|&|\n|\band\b)\s*", re.IGNORECASE)


def split_names(text: str) -> list[str]:
    return [part.strip() for part in _SEPARATORS.split(text or "") if part.strip()]


class NameIndex:
    """The people and organisations of one partnership (boards.selectors: `people_of`,
    `organisations_of`) by each way of writing them, loaded in two queries.

    A name that fits more than one of them is not matched rather than guessed. Those of
    other partnerships are not in the index at all: a name of theirs matches no one, exactly
    as a name no one has, so that an import neither names them nor reveals that they exist.
    """

    def __init__(self, partnership: Partnership | int):
        people = people_of(partnership).only("pk", "name")
        self.people = self._index((person, [person.name]) for person in people)
        organisations = organisations_of(partnership).only("pk", "name", "short_name", "aliases")
        self.organisations = self._index(
            (organisation, [organisation.name, organisation.short_name, *organisation.aliases])
            for organisation in organisations
        )

    @staticmethod
    def _index(pairs) -> dict:
        found = defaultdict(set)
        for record, spellings in pairs:
            for spelling in spellings:
                if spelling:
                    found[spelling.casefold()].add(record)
        return {key: next(iter(records)) for key, records in found.items() if len(records) == 1}

    def people_in(self, text: str) -> tuple[list[Person], list[str]]:
        return self._match(self.people, text)

    def organisations_in(self, text: str) -> tuple[list[Organisation], list[str]]:
        return self._match(self.organisations, text)

    @staticmethod
    def _match(index: dict, text: str):
        matched, unmatched = [], []
        for name in split_names(text):
            record = index.get(name.casefold())
            if record is None:
                unmatched.append(name)
            elif record not in matched:
                matched.append(record)
        return matched, unmatched
