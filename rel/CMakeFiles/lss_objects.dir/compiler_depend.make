# Empty compiler generated dependencies file for lss_objects.
# This may be replaced when dependencies are built.
