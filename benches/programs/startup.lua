print("startup ok")
