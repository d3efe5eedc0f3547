# Empty dependencies file for salesservice_static.
# This may be replaced when dependencies are built.
