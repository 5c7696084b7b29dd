"""Where pages come from: folders, WARC archives, the web, the raw archive; each yields batches of pages."""
