import { Module } from "@medusajs/framework/utils"
import AmazonModuleService from "./service"

export const AMAZON_MODULE = "amazon"

export default Module(AMAZON_MODULE, {
  service: AmazonModuleService,
})

export { AmazonModuleService }
