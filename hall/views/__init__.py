"""The hall's pages: thin views over ``hall.services`` and ``hall.selectors``."""
