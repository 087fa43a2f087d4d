"""Static reading of mix projects: discovery, parsing, fact extraction, indexing."""
