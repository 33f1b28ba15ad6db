"""hybrid-platform: one application spec, deployed by Pulumi as Docker containers, libvirt
VMs or Kubernetes workloads."""

__version__ = "0.2.0"
