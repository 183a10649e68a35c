"""Bulk import of item lists from other systems, driven by declarative profiles (``catalogue/import_profiles/``)."""

from .apply import ImportDenied, ImportReport, Rejection, catalogue_import
from .profiles import Profile, ProfileError, catalogue_profile_choices, load_profile, parse_profile, profile_names
from .readers import FileProblem

__all__ = [
    "FileProblem",
    "ImportDenied",
    "ImportReport",
    "Profile",
    "ProfileError",
    "Rejection",
    "catalogue_import",
    "catalogue_profile_choices",
    "load_profile",
    "parse_profile",
    "profile_names",
]
