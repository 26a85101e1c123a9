# cmake -DCLI=... -DHELP2MAN=... -DOUT=page.1.gz -P manpage.cmake: the man page of latentlab-cli,
# from its --help and --version, with every command's own --help as a section of its own;
# compressed, as Debian wants man pages.
# In a sanitizer build (packaging/sanitize.sh) the program's exit must not fail the page over
# LibTorch's allocations kept until exit; the tests check leaks, not this.
set(ENV{ASAN_OPTIONS} "detect_leaks=0")
string(REGEX REPLACE "\\.gz$" "" page "${OUT}")
set(include "${page}.include")
file(WRITE ${include} "[COMMANDS]\n")
foreach(command train encode decode interpolate eval compare bench export)
    execute_process(COMMAND ${CLI} ${command} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "latentlab-cli ${command} --help failed")
    endif()
    string(REPLACE "\\" "\\\\" help "${help}")
    file(APPEND ${include} ".SS ${command}\n.nf\n${help}\n.fi\n")
endforeach()
execute_process(
    COMMAND ${HELP2MAN} --no-info --section 1 --include ${include}
            --name "train, evaluate and inspect LatentLab autoencoders without a window"
            --output ${page} ${CLI}
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "help2man failed for ${CLI}")
endif()
execute_process(COMMAND gzip -n -9 -f ${page} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip failed for ${page}")
endif()
