// The local receiver (issue 4).
