// Tests of MySQLCapture (placeholder until the module lands).
