import { defineLink } from "@medusajs/framework/utils"
import OrderModule from "@medusajs/medusa/order"
import AmazonModule from "../modules/amazon"

/** The Medusa order created for an Amazon order (one to one). */
export default defineLink(AmazonModule.linkable.amazonOrder, OrderModule.linkable.order)
