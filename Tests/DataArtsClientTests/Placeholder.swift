// Tests of DataArtsClient (placeholder until the module lands).
