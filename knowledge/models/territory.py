"""French territories: régions, départements, EPCI/EPT, communes, postcodes and name aliases.

Loaded from the shipped ``knowledge/data/territories/territories.json.gz`` by
``knowledge.territories.loader.load_territories``. Codes are the official ones (INSEE for
communes, départements and régions, SIREN for EPCI and EPT) and serve as primary keys, so scheme
territories (``kb_scheme_territory.code``) join on them without an extra lookup.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge.models.base import Base

# Values of Commune.kind.
COMMUNE = "commune"
ARRONDISSEMENT = "arrondissement"

# Values of CommuneAlias.kind.
ALIAS_DELEGUEE = "deleguee"
ALIAS_ASSOCIEE = "associee"
ALIAS_FORMER_CODE = "former_code"


class Region(Base):
    """A région (INSEE code such as "32"), overseas collectivities included ("975"...)."""

    __tablename__ = "kb_region"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    zone: Mapped[str] = mapped_column(String(10))  # metro | drom | com
    chef_lieu: Mapped[str] = mapped_column(String(5))

    departements: Mapped[list[Departement]] = relationship(back_populates="region")


class Departement(Base):
    """A département (INSEE code such as "59", "2A", "974")."""

    __tablename__ = "kb_departement"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    region_code: Mapped[str] = mapped_column(ForeignKey("kb_region.code"), index=True)
    zone: Mapped[str] = mapped_column(String(10))
    chef_lieu: Mapped[str] = mapped_column(String(5))

    region: Mapped[Region] = relationship(back_populates="departements")


class Epci(Base):
    """An EPCI à fiscalité propre or an EPT of the Métropole du Grand Paris (SIREN code).

    ``kind`` is the package's type: CC, CA, CU, METRO, MET69 (Métropole de Lyon) or EPT.
    A commune belongs to at most one EPCI à fiscalité propre and, around Paris, one EPT.
    """

    __tablename__ = "kb_epci"

    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10), index=True)
    population: Mapped[int | None] = mapped_column(Integer)

    members: Mapped[list[Commune]] = relationship(
        back_populates="epci", foreign_keys="Commune.epci_code"
    )
    ept_members: Mapped[list[Commune]] = relationship(
        back_populates="ept", foreign_keys="Commune.ept_code"
    )


class Commune(Base):
    """A commune, or an arrondissement municipal of Paris, Lyon or Marseille.

    Arrondissements have ``kind == "arrondissement"`` and ``parent_code`` set to their commune
    (75056, 69123, 13055); they copy the parent's département, région, EPCI and EPT.
    """

    __tablename__ = "kb_commune"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16), default=COMMUNE)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("kb_commune.code"), index=True)
    departement_code: Mapped[str] = mapped_column(ForeignKey("kb_departement.code"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("kb_region.code"), index=True)
    epci_code: Mapped[str | None] = mapped_column(ForeignKey("kb_epci.code"), index=True)
    ept_code: Mapped[str | None] = mapped_column(ForeignKey("kb_epci.code"), index=True)
    population: Mapped[int | None] = mapped_column(Integer)
    zone: Mapped[str] = mapped_column(String(10))

    departement: Mapped[Departement] = relationship()
    region: Mapped[Region] = relationship()
    epci: Mapped[Epci | None] = relationship(back_populates="members", foreign_keys=[epci_code])
    ept: Mapped[Epci | None] = relationship(back_populates="ept_members", foreign_keys=[ept_code])
    parent: Mapped[Commune | None] = relationship(remote_side=[code])
    postcodes: Mapped[list[CommunePostcode]] = relationship(
        back_populates="commune", cascade="all, delete-orphan"
    )


class CommunePostcode(Base):
    """One postcode of a commune; a postcode may serve several communes and the reverse."""

    __tablename__ = "kb_commune_postcode"

    commune_code: Mapped[str] = mapped_column(ForeignKey("kb_commune.code"), primary_key=True)
    postcode: Mapped[str] = mapped_column(String(5), primary_key=True, index=True)

    commune: Mapped[Commune] = relationship(back_populates="postcodes")


class CommuneAlias(Base):
    """Another name or code leading to a current commune.

    ``deleguee`` / ``associee``: a commune déléguée or associée (name and its own INSEE code,
    which may equal the parent's); ``former_code``: an INSEE code retired by a merger (no name).
    """

    __tablename__ = "kb_commune_alias"
    __table_args__ = (Index("ix_kb_commune_alias_code", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    commune_code: Mapped[str] = mapped_column(ForeignKey("kb_commune.code"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(5))
    name: Mapped[str | None] = mapped_column(String(120))
