"""The policy pack. Use: pulumi preview --policy-pack policies
--policy-pack-config policies/config/<env>.json"""

from pulumi_policy import PolicyPack

from policies.pack import PACK_NAME, build_policies

PolicyPack(name=PACK_NAME, policies=build_policies())
