"""What the call log's digit search reads: every number a workspace's calls were from or to
(a party), and each party's digits from every digit on, so that "which of my parties
contain 555" is one index range, empty when nothing matches.

Both tables are kept by database triggers on `twilio_calls` (inserting a call, or
changing its numbers or workspace), in the transaction that writes the call: the webhook's
hot path needs no code of its own. Like an index, they are derived from the calls and
never edited; a party whose calls are gone only costs the search an empty look."""

from __future__ import annotations

from sqlalchemy import DDL, event
from sqlmodel import Field, SQLModel

# A stored number is at most 64 characters (TwilioCall.from_number/to_number).
NUMBER_LENGTH = 64


class CallParty(SQLModel, table=True):
    __tablename__ = "call_parties"
    __table_args__ = {"sqlite_with_rowid": False}

    workspace_id: int = Field(primary_key=True)
    number: str = Field(max_length=NUMBER_LENGTH, primary_key=True)


class CallPartyDigits(SQLModel, table=True):
    """One row per digit of a party's number: the run of digits from there on (the
    number "+1 415-555" has 1415 / 415 / 15 / 5 / 555 / 55 / 5). Digits a search types
    occur in the number exactly when they begin one of its rows."""

    __tablename__ = "call_party_digits"
    __table_args__ = {"sqlite_with_rowid": False}

    workspace_id: int = Field(primary_key=True)
    digits: str = Field(max_length=NUMBER_LENGTH, primary_key=True)
    number: str = Field(max_length=NUMBER_LENGTH, primary_key=True)


# SQLite triggers can't use WITH (so no recursive series): the positions are a JSON
# array read by json_each (a VALUES list costs 2.5x as much a new party, measured).
_POSITIONS = "[" + ",".join(str(n) for n in range(1, NUMBER_LENGTH + 1)) + "]"
# A call between parties already known (the usual case) runs nothing more than the WHEN.
_SQLITE_BODY = f"""
WHEN NOT EXISTS (SELECT 1 FROM call_parties
                 WHERE workspace_id = NEW.workspace_id AND number = NEW.from_number)
  OR NOT EXISTS (SELECT 1 FROM call_parties
                 WHERE workspace_id = NEW.workspace_id AND number = NEW.to_number)
BEGIN
  INSERT OR IGNORE INTO call_party_digits (workspace_id, digits, number)
  SELECT NEW.workspace_id,
         substr(party.number, p.value,
                length(substr(party.number, p.value))
                - length(ltrim(substr(party.number, p.value), '0123456789'))),
         party.number
  FROM (SELECT pair.number FROM (SELECT NEW.from_number AS number UNION SELECT NEW.to_number)
          AS pair
        WHERE NOT EXISTS (SELECT 1 FROM call_parties AS known
                          WHERE known.workspace_id = NEW.workspace_id
                            AND known.number = pair.number))
    AS party
  CROSS JOIN json_each('{_POSITIONS}') AS p
  WHERE p.value <= length(party.number)
    AND substr(party.number, p.value, 1) BETWEEN '0' AND '9';
  INSERT OR IGNORE INTO call_parties (workspace_id, number)
  VALUES (NEW.workspace_id, NEW.from_number), (NEW.workspace_id, NEW.to_number);
END"""  # noqa: S608 - constants
SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS twilio_calls_parties_insert AFTER INSERT ON twilio_calls "
    + _SQLITE_BODY,
    "CREATE TRIGGER IF NOT EXISTS twilio_calls_parties_update "
    "AFTER UPDATE OF workspace_id, from_number, to_number ON twilio_calls " + _SQLITE_BODY,
)
POSTGRESQL_TRIGGERS = (
    """
CREATE OR REPLACE FUNCTION twilio_calls_parties() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM call_parties
             WHERE workspace_id = NEW.workspace_id AND number = NEW.from_number)
     AND EXISTS (SELECT 1 FROM call_parties
                 WHERE workspace_id = NEW.workspace_id AND number = NEW.to_number)
  THEN
    RETURN NULL;  -- parties already known: the usual case
  END IF;
  INSERT INTO call_party_digits (workspace_id, digits, number)
  SELECT NEW.workspace_id, substring(substr(party.number, p) FROM '^[0-9]+'), party.number
  FROM (SELECT NEW.from_number UNION SELECT NEW.to_number) AS party (number)
  CROSS JOIN LATERAL generate_series(1, length(party.number)) AS p
  WHERE substr(party.number, p, 1) BETWEEN '0' AND '9'
    AND NOT EXISTS (SELECT 1 FROM call_parties AS known
                    WHERE known.workspace_id = NEW.workspace_id AND known.number = party.number)
  ON CONFLICT DO NOTHING;
  INSERT INTO call_parties (workspace_id, number)
  VALUES (NEW.workspace_id, NEW.from_number), (NEW.workspace_id, NEW.to_number)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS twilio_calls_parties ON twilio_calls",
    "CREATE TRIGGER twilio_calls_parties "
    "AFTER INSERT OR UPDATE OF workspace_id, from_number, to_number ON twilio_calls "
    "FOR EACH ROW EXECUTE FUNCTION twilio_calls_parties()",
)

# create_all (tests, benchmarks) builds them with the tables; alembic has its own copy.
for _sql in SQLITE_TRIGGERS:
    event.listen(SQLModel.metadata, "after_create", DDL(_sql).execute_if(dialect="sqlite"))
for _sql in POSTGRESQL_TRIGGERS:
    event.listen(SQLModel.metadata, "after_create", DDL(_sql).execute_if(dialect="postgresql"))
