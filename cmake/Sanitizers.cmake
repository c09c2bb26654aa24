# AddressSanitizer + UndefinedBehaviorSanitizer for every target (the asan preset).
if(GOLDMINE_SANITIZERS)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
