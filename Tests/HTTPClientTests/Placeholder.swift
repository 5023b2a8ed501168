// Tests of HTTPClient (placeholder until the module lands).
