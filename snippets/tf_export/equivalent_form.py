"""partial(api_export, api_name=X) is a factory; api_export(api_name=X) is one finished object."""

# On the page this comes from the earlier block that `# needs:` names.
from snippets.tf_export.api_export import api_export

# needs: api_export.py:api_export_class
# --8<-- [start:equivalent_form_fails]
import functools

registry = {}
factory = functools.partial(api_export, api_name="tensorflow", registry=registry)
# The seed's "same thing":
instance = api_export(api_name="tensorflow", registry=registry)

print("factory :", type(factory).__name__, "-> each call builds an", end=" ")
print(type(factory("app.run")).__name__)
print("instance:", type(instance).__name__, "already built, names:", instance._names)
try:

    # "app.run" goes to __call__, which expects the function:
    @instance("app.run")
    def run(main=None, argv=None):
        return main(argv or [])

except TypeError as err:
    print("TypeError:", err)
print("registry after the failure:", registry)
# --8<-- [end:equivalent_form_fails]
