"""The VM target: the app on libvirt, one VM per replica, each with its own kernel.

Import `component` for the deploying component (it loads the provider SDK); `settings`
and `capabilities` load no SDK."""
