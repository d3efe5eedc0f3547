file(REMOVE_RECURSE
  "libsalesservice.a"
)
