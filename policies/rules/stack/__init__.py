"""Stack controls: judged on all resources together, across targets."""
