"""The HTTP stack: polite, defensive fetching, address safety, robots.txt, URL forms, feed and sitemap discovery."""
