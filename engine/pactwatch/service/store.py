"""The case store: organisations, tokens, contracts, cases and their append-only events.

SQLAlchemy 2 over SQLite by default (one file, nothing to set up) or any URL SQLAlchemy
knows (``postgresql+psycopg://…``). The schema is created and upgraded by Alembic
migrations (``migrations/``), never by ``create_all``, so a store written by one version
is upgraded in place by the next.

Events are stored as the canonical JSON the client sent (sorted keys), with a SHA-256
digest: the same event id posted twice with the same content is one event (idempotent
retries); with different content it is a conflict, never a silent overwrite.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, create_engine, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

__all__ = ["DEFAULT_URL", "Store", "StoredCase", "StoredContract", "StoredEvent", "Conflict", "canonical"]

#: ``pactwatch serve`` with no ``--db``: a SQLite file in the working directory
DEFAULT_URL = "sqlite:///pactwatch-service.db"


class Base(DeclarativeBase):
    pass


def _now() -> datetime:
    return datetime.now(UTC)


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Token(Base):
    __tablename__ = "tokens"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    secret_sha256: Mapped[str] = mapped_column(String(64))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    revoked: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class StoredContract(Base):
    __tablename__ = "contracts"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class StoredCase(Base):
    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    contract_pk: Mapped[int] = mapped_column(ForeignKey("contracts.pk"))
    title: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class StoredEvent(Base):
    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("case_pk", "event_id"), UniqueConstraint("case_pk", "seq"))
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_pk: Mapped[int] = mapped_column(ForeignKey("cases.pk"), index=True)
    #: order of arrival within the case: the "line" the evaluation names in its problems
    seq: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[str] = mapped_column(Text)
    body: Mapped[Any] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    received: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class StoredAnnotations(Base):
    """A case's review annotations: the text of its annotations.yaml, replaced whole on each save."""

    __tablename__ = "annotations"
    case_pk: Mapped[int] = mapped_column(ForeignKey("cases.pk"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Conflict(Exception):
    """A name or event id that exists already with other content."""


def canonical(value: Any) -> bytes:
    """The bytes a digest is taken of: sorted keys, no whitespace (same content, same digest)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


@dataclass(frozen=True)
class Appended:
    """What a batch of events did to a case."""

    stored: int
    unchanged: int


class Store:
    """All reads and writes of the service, each in one transaction."""

    def __init__(self, url: str = DEFAULT_URL, *, migrate: bool = True):
        self.url = url
        self.engine: Engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            # SQLite has one writer: a transaction that reads and then writes must take the write
            # lock when it begins, or a concurrent writer makes its snapshot stale and the write
            # fails (SQLAlchemy's recipe: pysqlite's own BEGIN off, BEGIN IMMEDIATE instead)
            event.listen(self.engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        if migrate:
            upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    # organisations and tokens -------------------------------------------------------------
    def organisation(self, name: str, *, create: bool = False) -> Organisation | None:
        with self.session() as s:
            org = s.scalar(select(Organisation).where(Organisation.name == name))
            if org is None and create:
                org = Organisation(name=name)
                s.add(org)
                s.flush()
            return org

    def add_token(self, organisation: str, token_id: str, secret_sha256: str) -> None:
        org = self.organisation(organisation, create=True)
        assert org is not None
        with self.session() as s:
            s.add(Token(id=token_id, organisation_id=org.id, secret_sha256=secret_sha256))

    def token(self, token_id: str) -> tuple[Token, Organisation] | None:
        with self.session() as s:
            row = s.execute(select(Token, Organisation).join(Organisation, Token.organisation_id == Organisation.id)
                            .where(Token.id == token_id)).first()
            return (row[0], row[1]) if row else None

    def revoke_token(self, token_id: str) -> bool:
        with self.session() as s:
            token = s.get(Token, token_id)
            if token is None or token.revoked is not None:
                return False
            token.revoked = _now()
            return True

    def tokens(self, organisation: str | None = None) -> list[tuple[Token, str]]:
        with self.session() as s:
            query = select(Token, Organisation.name).join(Organisation, Token.organisation_id == Organisation.id)
            if organisation is not None:
                query = query.where(Organisation.name == organisation)
            return [(t, n) for t, n in s.execute(query.order_by(Organisation.name, Token.created, Token.id))]

    # contracts ------------------------------------------------------------------------------
    def put_contract(self, org_id: int, name: str, text: str) -> tuple[StoredContract, bool]:
        """Store a (validated) contract; the same name with the same text is no change."""
        digest = sha256(text)
        with self.session() as s:
            old = s.scalar(select(StoredContract).where(StoredContract.organisation_id == org_id,
                                                        StoredContract.name == name))
            if old is not None:
                if old.sha256 != digest:
                    raise Conflict(f"contract {name!r} exists with other content; contracts are not replaced "
                                   "(cases refer to them): upload it under a new name")
                return old, False
            row = StoredContract(organisation_id=org_id, name=name, text=text, sha256=digest)
            s.add(row)
            s.flush()
            return row, True

    def contract(self, org_id: int, name: str) -> StoredContract | None:
        with self.session() as s:
            return s.scalar(select(StoredContract).where(StoredContract.organisation_id == org_id,
                                                         StoredContract.name == name))

    def contract_by_pk(self, pk: int) -> StoredContract | None:
        with self.session() as s:
            return s.get(StoredContract, pk)

    def contracts(self, org_id: int) -> list[StoredContract]:
        with self.session() as s:
            return list(s.scalars(select(StoredContract).where(StoredContract.organisation_id == org_id)
                                  .order_by(StoredContract.name)))

    # cases ----------------------------------------------------------------------------------
    def create_case(self, org_id: int, name: str, contract: StoredContract, title: str | None) -> tuple[StoredCase, bool]:
        with self.session() as s:
            old = s.scalar(select(StoredCase).where(StoredCase.organisation_id == org_id, StoredCase.name == name))
            if old is not None:
                if old.contract_pk != contract.pk or old.title != title:
                    raise Conflict(f"case {name!r} exists with another contract or title")
                return old, False
            row = StoredCase(organisation_id=org_id, name=name, contract_pk=contract.pk, title=title)
            s.add(row)
            s.flush()
            return row, True

    def case(self, org_id: int, name: str) -> StoredCase | None:
        with self.session() as s:
            return s.scalar(select(StoredCase).where(StoredCase.organisation_id == org_id, StoredCase.name == name))

    def cases(self, org_id: int) -> list[tuple[StoredCase, int]]:
        with self.session() as s:
            counts = (select(StoredEvent.case_pk, func.count().label("n")).group_by(StoredEvent.case_pk).subquery())
            query = (select(StoredCase, func.coalesce(counts.c.n, 0))
                     .outerjoin(counts, counts.c.case_pk == StoredCase.pk)
                     .where(StoredCase.organisation_id == org_id).order_by(StoredCase.name))
            return [(c, int(n)) for c, n in s.execute(query)]

    # events ---------------------------------------------------------------------------------
    def append(self, case: StoredCase, events: list[dict[str, Any]]) -> Appended:
        """Append events (each with an ``id``) in one transaction: all or none.

        An id already stored with the same content is left as it is (a retried request); with
        other content the whole batch fails with :class:`Conflict`, naming the id.
        """
        stored = unchanged = 0
        try:
            with self.session() as s:
                # appends to one case one at a time (PostgreSQL: the case row locked; SQLite: one writer)
                s.execute(select(StoredCase.pk).where(StoredCase.pk == case.pk).with_for_update())
                seq = s.scalar(select(func.coalesce(func.max(StoredEvent.seq), 0)).where(StoredEvent.case_pk == case.pk)) or 0
                ids = [e["id"] for e in events]
                old = {row.event_id: row.sha256 for row in s.scalars(
                    select(StoredEvent).where(StoredEvent.case_pk == case.pk, StoredEvent.event_id.in_(ids)))}
                seen: dict[str, str] = {}
                for body in events:
                    digest = sha256(canonical(body))
                    known = old.get(body["id"]) or seen.get(body["id"])
                    if known is not None:
                        if known != digest:
                            raise Conflict(f"event {body['id']!r} exists in this case with other content; "
                                           "events are append-only: send a correcting event with a new id")
                        unchanged += 1
                        continue
                    seq += 1
                    seen[body["id"]] = digest
                    s.add(StoredEvent(case_pk=case.pk, seq=seq, event_id=body["id"], body=body, sha256=digest))
                    stored += 1
        except IntegrityError:  # a concurrent request stored one of these ids first: retry decides
            raise Conflict("another request added events to this case at the same moment; send the batch again "
                           "(stored events are recognised by id and not duplicated)") from None
        return Appended(stored, unchanged)

    def put_annotations(self, case: StoredCase, text: str) -> str:
        """Replace the case's annotations (validated by the caller); their digest."""
        digest = sha256(text)
        with self.session() as s:
            row = s.get(StoredAnnotations, case.pk)
            if row is None:
                s.add(StoredAnnotations(case_pk=case.pk, text=text, sha256=digest))
            else:
                row.text, row.sha256, row.updated = text, digest, _now()
        return digest

    def annotations(self, case: StoredCase) -> str | None:
        with self.session() as s:
            row = s.get(StoredAnnotations, case.pk)
            return row.text if row else None

    def count_events(self, case: StoredCase) -> int:
        with self.session() as s:
            return int(s.scalar(select(func.count()).select_from(StoredEvent).where(StoredEvent.case_pk == case.pk)) or 0)

    def events(self, case: StoredCase) -> list[StoredEvent]:
        with self.session() as s:
            return list(s.scalars(select(StoredEvent).where(StoredEvent.case_pk == case.pk).order_by(StoredEvent.seq)))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged event survives a crash
    cursor.close()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (Alembic), in place."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
