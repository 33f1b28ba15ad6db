"""The controls, one package per engine they judge and one module per control (or per
small group of related controls whose function names share the module's name as a
prefix). Every module here is imported by `policies.catalogue.discover()`: a new
module with an `@control` function is in the pack without being listed anywhere."""
