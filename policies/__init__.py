"""hybrid-platform's isolation policy pack: controls over Docker, libvirt and Kubernetes
resources and over the whole stack, shared by the Pulumi policy pack and the offline preview."""
