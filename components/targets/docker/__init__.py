"""The Docker target: the app as containers on one Docker host.

Import `component` for the deploying component (it loads the provider SDK); `settings`
and `capabilities` load no SDK."""
