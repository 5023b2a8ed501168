// Tests of LocalReceiver (placeholder until the module lands).
