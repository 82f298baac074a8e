console.log("startup ok");
