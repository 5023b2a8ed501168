// Tests of MySQLCaptureIntegration (placeholder until the module lands).
