// The DataArts Studio sink: auth, retries (issue 4).
