target_sources(portcullis_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/namewords.cpp
  ${CMAKE_CURRENT_LIST_DIR}/riskvocabulary.cpp
  ${CMAKE_CURRENT_LIST_DIR}/verbphrase.cpp
  ${CMAKE_CURRENT_LIST_DIR}/nameevidence.cpp
  ${CMAKE_CURRENT_LIST_DIR}/descriptionevidence.cpp
  ${CMAKE_CURRENT_LIST_DIR}/schemaevidence.cpp
  ${CMAKE_CURRENT_LIST_DIR}/riskclassifier.cpp
  ${CMAKE_CURRENT_LIST_DIR}/toolfingerprint.cpp
  ${CMAKE_CURRENT_LIST_DIR}/starterpolicy.cpp
)
