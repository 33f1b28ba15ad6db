"""The policy pack of ${PROJECT}: hybrid-platform's controls, from the installed package.

Use: pulumi preview --stack prod --policy-pack policy-pack
     --policy-pack-config policy-pack/config/prod.json"""

from pulumi_policy import PolicyPack

from policies.pack import PACK_NAME, build_policies

PolicyPack(name=PACK_NAME, policies=build_policies())
