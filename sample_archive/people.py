"""Invented MPs, peers and office-holders, written out as ParlParse-style Popolo members files."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

GIVEN = ("Alys", "Bernard", "Cerys", "Declan", "Eleri", "Fergus", "Gwen", "Hamish", "Isla", "Jasper",
         "Keziah", "Lionel", "Morwenna", "Niall", "Orla", "Percival", "Quentin", "Rhiannon", "Saoirse",
         "Tobias", "Una", "Vaughan", "Wilhelmina", "Xander", "Yusuf", "Zara", "Anwen", "Barnaby",
         "Clemency", "Dafydd", "Esme", "Florian", "Griselda", "Hector", "Imogen", "Jolyon", "Kit",
         "Lettice", "Magnus", "Nerys", "Ottoline", "Peregrine", "Rosalind", "Sebastian", "Tamsin",
         "Ulric", "Verity", "Wendell", "Ysolde", "Zachary", "Ambrose", "Briony", "Cosmo", "Delphine")
FAMILY = ("Ashdown-Pryce", "Blenkinsop", "Carrow", "Dunmore", "Ellwood-Hart", "Fairbairn", "Gorringe",
          "Hollins", "Inchbald", "Jessop", "Kettleby", "Lomax", "Marchbank", "Nettleford", "Oakeshott",
          "Pennefather", "Quarrington", "Rushworth", "Sallow", "Thistlewood", "Underhill", "Vellacott",
          "Wetherall", "Yarborough", "Aldous", "Birtwhistle", "Cresswell", "Dimbleford", "Etheridge",
          "Fothergill", "Gathercole", "Hebblethwaite", "Ironside", "Jerrold", "Kingsnorth", "Lanyon",
          "Mottram", "Noakesley", "Ormerod", "Postlethwaite", "Ravensworth", "Scattergood",
          "Tregarthen", "Upshall", "Varley", "Whitlock", "Yeardley", "Ambridge", "Brockhurst", "Collingwood")

PARTIES = {
    "conservative": "Conservative", "labour": "Labour", "liberal-democrat": "Liberal Democrat",
    "scottish-national-party": "SNP", "green": "Green", "plaid-cymru": "Plaid Cymru", "dup": "DUP",
    "reform": "Reform UK", "crossbench": "Crossbench",
}
COMMONS_SEATS = {"conservative": 22, "labour": 20, "liberal-democrat": 6, "scottish-national-party": 5,
                 "green": 2, "plaid-cymru": 2, "dup": 2, "reform": 2}
LORDS_SEATS = {"conservative": 5, "labour": 5, "crossbench": 4, "liberal-democrat": 2}

DEPARTMENTS = {
    "cabinet-office": "Cabinet Office", "hm-treasury": "HM Treasury", "home-office": "Home Office",
    "department-of-health-and-social-care": "Department of Health and Social Care",
    "department-for-education": "Department for Education", "ministry-of-justice": "Ministry of Justice",
    "department-for-transport": "Department for Transport",
    "department-for-work-and-pensions": "Department for Work and Pensions",
    "ministry-of-housing-communities-and-local-government": "Ministry of Housing, Communities and Local Government",
    "department-for-environment-food-and-rural-affairs": "Department for Environment, Food and Rural Affairs",
}
# Government changes and reshuffles: (date, governing party)
PERIODS = (
    (date(2016, 1, 1), "conservative"), (date(2016, 7, 14), "conservative"),
    (date(2017, 6, 11), "conservative"), (date(2018, 1, 9), "conservative"),
    (date(2019, 7, 24), "conservative"), (date(2020, 2, 13), "conservative"),
    (date(2021, 9, 15), "conservative"), (date(2022, 9, 6), "conservative"),
    (date(2022, 10, 25), "conservative"), (date(2023, 11, 13), "conservative"),
    (date(2024, 7, 5), "labour"), (date(2025, 9, 5), "labour"),
)
END = date(2026, 12, 31)
ELECTION_2024 = date(2024, 7, 4)


@dataclass
class Person:
    person_id: str
    member_id: str
    given: str
    family: str
    party: str  # slug
    house: str  # commons | lords
    start: date = date(2015, 5, 8)
    end: date = END
    offices: list[tuple[date, date, str, str]] = field(default_factory=list)  # start, end, role, dept slug

    @property
    def name(self) -> str:
        return f"Lord {self.family}" if self.house == "lords" and self.given in GIVEN[::2] else (
            f"Baroness {self.family}" if self.house == "lords" else f"{self.given} {self.family}")

    def sitting(self, day: date) -> bool:
        return self.start <= day <= self.end

    def office_at(self, day: date) -> tuple[str, str] | None:
        for start, end, role, dept in self.offices:
            if start <= day <= end:
                return role, dept
        return None


def invent_people(seed: int = 20160101) -> list[Person]:
    rng = random.Random(seed)
    names = [(g, f) for g in GIVEN for f in FAMILY]
    rng.shuffle(names)
    people: list[Person] = []
    number = 0
    for house, seats in (("commons", COMMONS_SEATS), ("lords", LORDS_SEATS)):
        for party, count in seats.items():
            for _ in range(count):
                given, family = names[number]
                number += 1
                member_prefix = "member" if house == "commons" else "lord"
                start = date(2015, 5, 8) if party != "reform" else ELECTION_2024
                people.append(Person(f"uk.org.publicwhip/person/{90000 + number}",
                                     f"uk.org.publicwhip/{member_prefix}/{190000 + number}",
                                     given, family, party, house, start=start))
    # a few MPs stand down at the 2024 election, and as many arrive
    for person in rng.sample([p for p in people if p.house == "commons" and p.party == "conservative"], 4):
        person.end = ELECTION_2024
    _assign_offices(people, rng)
    return people


def _assign_offices(people: list[Person], rng: random.Random) -> None:
    ends = [p[0] - timedelta(days=1) for p in PERIODS[1:]] + [END]
    depts = list(DEPARTMENTS)
    for (start, governing), end in zip(PERIODS, ends):
        opposition = "labour" if governing == "conservative" else "conservative"
        for party, role, n in ((governing, None, 8), (opposition, "Shadow", 6)):
            pool = [p for p in people if p.party == party and p.house == "commons" and p.sitting(start)]
            for person, dept in zip(rng.sample(pool, n), rng.sample(depts, n)):
                title = (f"Shadow Secretary of State" if role else
                         rng.choice(("Secretary of State", "Minister of State", "Parliamentary Under-Secretary")))
                person.offices.append((start, end, title, dept))
        lords = [p for p in people if p.party == governing and p.house == "lords"]
        for person in rng.sample(lords, 2):
            person.offices.append((start, end, "Parliamentary Under-Secretary", rng.choice(depts)))


def people_json(people: list[Person]) -> bytes:
    """A Popolo people.json in the shape of mySociety's members/people.json."""
    persons = [{"id": p.person_id, "identifiers": [],
                "other_names": [{"given_name": p.given, "family_name": p.family, "note": "Main"}]}
               for p in people]
    memberships = []
    for p in people:
        memberships.append({
            "id": p.member_id, "person_id": p.person_id, "on_behalf_of_id": p.party,
            "organization_id": "house-of-commons" if p.house == "commons" else "house-of-lords",
            "start_date": p.start.isoformat(), "end_date": p.end.isoformat(),
            "start_reason": "general_election" if p.house == "commons" else "",
        })
    organizations = [{"id": slug, "name": name, "classification": "party"} for slug, name in PARTIES.items()]
    organizations += [{"id": "house-of-commons", "name": "House of Commons", "classification": "chamber"},
                      {"id": "house-of-lords", "name": "House of Lords", "classification": "chamber"}]
    return json.dumps({"persons": persons, "memberships": memberships, "organizations": organizations,
                       "posts": []}, indent=1, sort_keys=True).encode()


def ministers_json(people: list[Person]) -> bytes:
    """A Popolo ministers-2010.json: government and shadow offices with their dates."""
    memberships = []
    number = 0
    for p in people:
        for start, end, role, dept in p.offices:
            number += 1
            memberships.append({"id": f"uk.org.publicwhip/moffice/{900000 + number}", "person_id": p.person_id,
                                "organization_id": dept, "role": role, "start_date": start.isoformat(),
                                "end_date": end.isoformat()})
    organizations = [{"id": slug, "name": name} for slug, name in DEPARTMENTS.items()]
    return json.dumps({"memberships": memberships, "organizations": organizations},
                      indent=1, sort_keys=True).encode()
