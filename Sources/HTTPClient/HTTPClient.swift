// The HTTP client over libcurl (issue 4).
