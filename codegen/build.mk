CHECKS += check-abi
