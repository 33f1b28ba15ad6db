"""The Pulumi plugin (PulumiPlugin.yaml): serves the App component to Pulumi programs in any
language; see components/provider.py."""

from components.provider import serve

serve()
