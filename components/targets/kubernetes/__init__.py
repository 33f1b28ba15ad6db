"""Kubernetes: the app as workloads (`KubernetesApp`), on an existing cluster (`kubernetes`
target) or on the k3s cluster the `hybrid` target builds.

Import `component` for the deploying component (it loads the provider SDK); `settings`
and `capabilities` load no SDK."""
