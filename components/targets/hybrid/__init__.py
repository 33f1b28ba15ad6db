"""The `hybrid` target: a k3s cluster on libvirt VMs, and the app as workloads on it.

Import `component` for the deploying component (it loads the provider SDK); `settings`
and `capabilities` load no SDK."""
