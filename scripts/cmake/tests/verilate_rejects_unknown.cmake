# Calls nuri_verilate() with a misspelt keyword (CASE=front: before the lists; CASE=list: after a
# list keyword, where cmake_parse_arguments would file it as a list entry). The tests expect the
# error message.
include(${PROJECT_SOURCE_DIR}/scripts/cmake/NuriVerilate.cmake)
if(CASE STREQUAL "front")
  nuri_verilate(tb_x PREFIX Vx BOGUS 1 TOP x SOURCES x.sv)
else()
  nuri_verilate(tb_x PREFIX Vx TOP x SOURCES x.sv BOGUS 1)
endif()
