"""The libvirt layer shared by the `vm` and `hybrid` targets: per host a provider, the
stack's one network (service VMs and cluster nodes alike) and the base image; machines
(root disk, cloud-init disk, domain) on it. Not a target itself."""
