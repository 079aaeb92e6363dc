"""The local explorer (`extractor serve DATASET`): a read-only web app over a dataset."""
