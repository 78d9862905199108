"""
A local SPID/CIE federation for development and tests, with no internet: the package's trust
anchor with its SPID test provider (one process) and its CIE test provider (another), as in
the package's own examples (examples/federation_authority and examples/provider of
italia/spid-cie-oidc-django, Apache-2.0; their demo data is in dumps/, see dumps/NOTICE).

    python -m spid.localfed --rp http://127.0.0.1:8000        # `make eid-federation`

prepares a SQLite database per process under var/localfed/, loads the demo data with the ports
rewritten, registers our relying party with the trust anchor (its public keys read from its own
entity configuration, as an onboarding would), and serves both until Ctrl-C. Test users:
`user` / `oidcuser` on both providers (the same fiscal code), `minore` / `oidcminore` (SPID,
13 years old). This is a development tool: never deploy it.
"""
